// The parts of Meta's webhook bodies OpTarget reads (fixtures: webhook-*.json). Everything else is
// allowed and ignored, so a new field from Meta never makes a delivery fail.
import { z } from 'zod';

const text = z.string().max(10_000);

export const InboundMessage = z.object({
  from: z.string().regex(/^\d{5,20}$/),
  id: z.string().min(1).max(200),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string().max(50),
  text: z.object({ body: text }).optional(),
  button: z.object({ payload: text.optional(), text: text.optional() }).optional(),
  interactive: z
    .object({
      type: z.string().optional(),
      button_reply: z.object({ id: text.optional(), title: text.optional() }).optional(),
      list_reply: z.object({ id: text.optional(), title: text.optional() }).optional(),
    })
    .optional(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;

export const Contact = z.object({
  wa_id: z.string().optional(),
  user_id: z.string().max(200).optional(),
  profile: z.object({ name: z.string().max(500).optional() }).optional(),
});
export type Contact = z.infer<typeof Contact>;

export const StatusUpdate = z.object({
  id: z.string().min(1).max(200),
  status: z.string().max(50),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number().int(),
        title: text.optional(),
        message: text.optional(),
        error_data: z.object({ details: text.optional() }).optional(),
      }),
    )
    .optional(),
});
export type StatusUpdate = z.infer<typeof StatusUpdate>;

export const MessagesValue = z.object({
  metadata: z.object({ phone_number_id: z.string() }),
  contacts: z.array(Contact).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const TemplateStatusValue = z.object({
  event: z.string().max(50),
  message_template_id: z.union([z.number(), z.string()]),
  message_template_name: z.string().optional(),
  message_template_language: z.string().optional(),
  reason: z.string().nullable().optional(),
  message_template_category: z.string().optional(),
});

export const TemplateCategoryValue = z.object({
  message_template_id: z.union([z.number(), z.string()]),
  new_category: z.string().max(50),
});

export const UserPreferencesValue = z.object({
  metadata: z.object({ phone_number_id: z.string() }),
  user_preferences: z.array(z.object({ wa_id: z.string(), category: z.string().optional(), value: z.string() })),
});

export const Delivery = z.object({
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(z.object({ field: z.string(), value: z.record(z.string(), z.unknown()) })),
    }),
  ),
});
export type Delivery = z.infer<typeof Delivery>;

/** Meta's seconds-since-epoch text as a time. */
export const timeOf = (timestamp: string) => new Date(Number(timestamp) * 1000);
