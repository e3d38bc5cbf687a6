import { Field } from './Card';

/** A labelled <select> of value/label choices (the label's `for` and the test id follow `id`). */
export interface Choice {
  value: string;
  label: string;
}

export function SelectField(props: { id: string; label: string; value: string; choices: readonly Choice[]; onChange: (value: string) => void }) {
  return (
    <Field id={props.id} label={props.label}>
      <select id={props.id} data-testid={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
