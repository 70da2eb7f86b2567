/**
 * The `ui` section of c360.yaml: what the pages need beyond GraphQL (docs/ui.md). The OpenID
 * Connect client the sign-in page uses (authorization code + PKCE, a public client: no
 * secret), and URL templates linking a source record to its page in the source system.
 */
import { z } from 'zod';

const sourceLinkTemplate = z
  .string()
  .min(1)
  .refine((template) => template.includes('{key}'), { message: 'a link template holds {key}, e.g. https://crm.example.com/contacts/{key}' })
  .refine((template) => /^https?:\/\//.test(template), { message: 'a link template is an http(s) URL' });

export const uiSchema = z
  .object({
    oidc: z
      .object({
        /** The identity provider's issuer URL; its /.well-known/openid-configuration is read by the browser. */
        issuer: z.url(),
        clientId: z.string().min(1),
        scope: z.string().min(1).default('openid'),
      })
      .strict()
      .optional(),
    /** Source name -> entity -> template, e.g. { crm: { contact: "https://crm.example.com/contacts/{key}" } }. */
    sourceLinks: z.record(z.string(), z.record(z.string(), sourceLinkTemplate)).default({}),
  })
  .strict();

export type UiConfig = z.infer<typeof uiSchema>;
