import type { ContactImportView } from '../../../lib/contacts/types';

/** Where the island is: choosing a file, sending it, following its rows, or showing the result. */
export type Stage =
  | { kind: 'choose' }
  | { kind: 'uploading'; loaded: number; total: number; sent: boolean }
  | { kind: 'processing'; job: ContactImportView }
  | { kind: 'finished'; job: ContactImportView };
