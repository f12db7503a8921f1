import type { ImportUpload, Job, StartImportBody } from '@optarget/shared';
import { api, tenantPath as tp } from './client';

export const importsApi = {
  upload: (tenantId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.upload<ImportUpload>(`${tp(tenantId)}/imports`, form);
  },
  startImport: (tenantId: string, uploadId: string, body: StartImportBody) =>
    api.post<Job>(`${tp(tenantId)}/imports/${uploadId}/start`, body),
  importErrorsUrl: (tenantId: string, jobId: string) => `${tp(tenantId)}/imports/jobs/${jobId}/errors.csv`,
};
