/** Settings → Appearance: System / Light / Dark, stored in settings and applied at once. */
import type { ThemeSetting } from '../../lib/messaging/contract';
import { Check } from '../Card';
import { S } from '../strings';
import { applyTheme, isTheme } from '../theme';

const CHOICES: readonly ThemeSetting[] = ['system', 'light', 'dark'];

export function AppearanceSetting({ theme, busy, apply }: { theme: ThemeSetting | undefined; busy: boolean; apply: (patch: { theme: ThemeSetting }) => Promise<boolean> }) {
  const current = isTheme(theme) ? theme : 'system';
  return (
    <fieldset className="segmented" data-testid="settings-theme">
      <legend>{S.settings.theme}</legend>
      {CHOICES.map((t) => (
        <Check
          key={t}
          type="radio"
          name="theme"
          value={t}
          testId={`theme-${t}`}
          checked={current === t}
          disabled={busy}
          onChange={() => {
            applyTheme(t);
            void apply({ theme: t });
          }}
          label={S.settings.themes[t]}
        />
      ))}
    </fieldset>
  );
}
