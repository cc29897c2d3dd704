import type { Locale, Taxonomy } from '../../api/types';
import { pick } from './use-taxonomy';

/** The RSIT types as <option>s grouped by class, for any select of a category (filter, form, step). */
export function CategoryOptions({ taxonomy, lang }: { taxonomy: Taxonomy | undefined; lang: Locale }) {
  return (
    <>
      {(taxonomy?.classes ?? []).map((c) => (
        <optgroup key={c.code} label={pick(c.label, lang)}>
          {c.types.map((ty) => (
            <option key={ty.code} value={ty.code}>
              {pick(ty.label, lang)}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
