/**
 * Why a field was refused, as a rule with parameters, so the web app says it in the user's
 * language: each field error of a VALIDATION_FAILED answer names one of these (`rule`, `params`)
 * beside the server's English `message`.
 */
export const fieldRules = [
  'required',
  'tooShort',
  'tooLong',
  'tooSmall',
  'tooBig',
  'tooFew',
  'tooMany',
  'wrongType',
  'email',
  'id',
  'url',
  'date',
  'format',
  'oneOf',
  'unknownField',
  'oneLine',
  'countryCode',
  'mapName',
  'mapOnce',
  'columnNumber',
  'noNul',
  'unicode',
  'cursor',
  'phone',
  'member',
  'mapColumn',
  'emailsNone',
  'emailsTooMany',
  'fileForm',
  'fileEmpty',
  'fileNotText',
  'fileEncoding',
  'fileNotCsv',
  'fileNoRows',
  'notAnImage',
  'imageHeader',
  'imagePixels',
  'svgUnsafe',
  'templateVariables',
  'templateValue',
  'templateText',
  'campaignReportLink',
  'withinDays',
  'mergeSelf',
  'mergeTwice',
  'mergeChoice',
  'otherMember',
  'otherLead',
  'googleKey',
  'invalid',
] as const;
export type FieldRule = (typeof fieldRules)[number];

/** A refinement's message with the rule it stands for (zod carries `params` into the issue). */
export const ruled = (rule: FieldRule, message: string, params?: Record<string, string | number>) => ({
  message,
  params: { ...params, rule },
});
