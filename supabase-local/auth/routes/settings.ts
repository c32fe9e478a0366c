/** GET /settings and GET /health — the public facts GoTrue reports about itself. */
import type { RouteHandler } from '../route-result';

export const settings: RouteHandler = async (_req, _url, deps) => ({
  status: 200,
  body: {
    external: { email: true, phone: false, anonymous_users: false },
    disable_signup: !deps.signupEnabled,
    mailer_autoconfirm: true,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
  },
});

export const health: RouteHandler = async () => ({
  status: 200,
  body: { version: 'supabase-local', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' },
});
