/** Settings → Appearance: System / Light / Dark, stored in settings and applied at once. */
import type { ThemeSetting } from '../../lib/messaging/contract';
import { S } from '../strings';
import { applyTheme, isTheme } from '../theme';

const CHOICES: readonly ThemeSetting[] = ['system', 'light', 'dark'];

export function AppearanceSetting({ theme, busy, apply }: { theme: ThemeSetting | undefined; busy: boolean; apply: (patch: { theme: ThemeSetting }) => Promise<boolean> }) {
  const current = isTheme(theme) ? theme : 'system';
  return (
    <fieldset className="segmented" data-testid="settings-theme">
      <legend>{S.settings.theme}</legend>
      {CHOICES.map((t) => (
        <label key={t} className="inline">
          <input
            type="radio"
            name="theme"
            value={t}
            data-testid={`theme-${t}`}
            checked={current === t}
            disabled={busy}
            onChange={() => {
              applyTheme(t);
              void apply({ theme: t });
            }}
          />
          {S.settings.themes[t]}
        </label>
      ))}
    </fieldset>
  );
}
