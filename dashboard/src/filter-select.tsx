/**
 * A list's filter: `all` (the empty value, no filter) or one of `names` (value → words), as the
 * Activity and Sessions lists offer them.
 */
export function FilterSelect<Value extends string>({
  label,
  name,
  all,
  names,
  value,
  onChange,
}: {
  label: string;
  name: string;
  all: string;
  names: Readonly<Record<Value, string>>;
  value: Value | '';
  onChange: (value: Value | '') => void;
}) {
  return (
    <label>
      {label}
      <select name={name} value={value} onChange={(event) => onChange(event.currentTarget.value as Value | '')}>
        <option value="">{all}</option>
        {(Object.entries(names) as [Value, string][]).map(([option, words]) => (
          <option value={option} key={option}>
            {words}
          </option>
        ))}
      </select>
    </label>
  );
}
