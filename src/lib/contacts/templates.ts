// Bundled at build time: the server runs from dist/, where public/ is not beside it.
// `?raw` is a Vite import, so only code Vite builds (pages, routes, tests) may load this module.
import advanced from '../../../public/templates/call-campaign-advanced-template.csv?raw';
import basic from '../../../public/templates/call-campaign-basic-template.csv?raw';

export const CSV_TEMPLATE_TYPES = ['basic', 'advanced'] as const;
export type CsvTemplateType = (typeof CSV_TEMPLATE_TYPES)[number];

export interface CsvTemplate {
  fileName: string;
  content: string;
}

const CONTENT: Record<CsvTemplateType, string> = { basic, advanced };

/** An example contacts CSV to start an import from: `basic` is name + phone, `advanced` adds the optional and custom columns. */
export function getCsvTemplate(type: CsvTemplateType): CsvTemplate {
  return { fileName: `call-campaign-${type}-template.csv`, content: CONTENT[type] };
}
