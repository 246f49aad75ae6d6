import helmet from 'helmet';

/**
 * The security headers of every response (API, console, Swagger UI, errors, 404), set by helmet
 * before anything else runs, so a response cut short by the body parser or a guard carries them too.
 *
 * The content security policy fits what the service serves: the console (its built files from
 * /assets/*; React sets `style` attributes, and ECharts draws inline SVG) and Swagger UI at
 * /api/docs (its own files, `<style>` blocks, data: images and fonts). Scripts only from the
 * service itself, so an injected `<script>` or `onclick=` does not run; inline styles stay allowed
 * because both screens need them. No framing at all (clickjacking of the console's actions).
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // No upgrade-insecure-requests: the embedded default is opened over plain http://localhost.
      },
    },
    frameguard: { action: 'deny' },
    // Not for sibling hosts of the region's domain: the service cannot know they all speak TLS.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}
