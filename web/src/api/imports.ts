import type { ImportUpload, Job, StartImportBody } from '@optarget/shared';
import type { Locale } from '../i18n';
import { api, tenantPath as tp } from './client';

export const importsApi = {
  upload: (tenantId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.upload<ImportUpload>(`${tp(tenantId)}/imports`, form);
  },
  startImport: (tenantId: string, uploadId: string, body: StartImportBody) =>
    api.post<Job>(`${tp(tenantId)}/imports/${uploadId}/start`, body),
  /** The refused rows with their reasons worded in the given language. */
  importErrorsUrl: (tenantId: string, jobId: string, lang: Locale) => `${tp(tenantId)}/imports/jobs/${jobId}/errors.csv?lang=${lang}`,
};
