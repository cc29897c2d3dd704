import { useSearchParams } from 'react-router-dom';
import { pageParam } from './pagination';

export type ParamsPatch = Record<string, string | null>;

/**
 * A list page's filters, search and page in the URL (so a view can be linked and survives reload).
 * `update` sets or clears (null or '') params and goes back to the first page unless the patch
 * names the page itself.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();

  function update(patch: ParamsPatch) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  }

  return {
    params,
    setParams,
    page: pageParam(params.get('page')),
    update,
    /** For <Pagination onPage>: page 1 is the bare URL. */
    goToPage: (page: number) => update({ page: page > 1 ? String(page) : null }),
  };
}
