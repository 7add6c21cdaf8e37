using System.Security.Cryptography;

namespace FeedbackHub.Web.Features.Security;

/// <summary>
/// The headers every response carries, error pages and static files included. The policy allows only
/// this site's own scripts, plus the one inline script Blazor needs (its import map) by a nonce fresh
/// for every response.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "FeedbackHub.CspNonce";

    /// <summary>
    /// The Content-Security-Policy, with the nonce of the response when a page asked for one. Why each
    /// exception to "self only" is there:
    /// <list type="bullet">
    /// <item><c>style-src 'unsafe-inline'</c>: the cohort heat map, the uplift bars and Radzen's charts position
    /// and colour elements with <c>style</c> attributes, in the server-rendered HTML and set by blazor.web.js as
    /// components render (without it Chromium refused hundreds of them on the dashboards); and the email previews
    /// are <c>srcdoc</c> frames, which inherit this policy, while emails must style inline for mail clients.
    /// Styles cannot run code; scripts stay locked down.</item>
    /// <item><c>base-uri 'self'</c>, not <c>'none'</c>: the staff pages have <c>&lt;base href="/"&gt;</c>, which
    /// Blazor and every relative address (scripts, <c>app.css</c>, links) resolve against; with <c>'none'</c>
    /// Chromium ignores it and the Blazor circuit never starts (buttons stay disabled).</item>
    /// <item><c>connect-src 'self'</c> covers the Blazor circuit's WebSocket (ws/wss to this host).</item>
    /// </list>
    /// </summary>
    public static string ContentSecurityPolicy(string? nonce) =>
        "default-src 'self'; "
        + (nonce is null ? "script-src 'self'; " : $"script-src 'self' 'nonce-{nonce}'; ")
        + "style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The nonce for inline scripts of this response (made on first use, so other responses carry none).</summary>
    public static string CspNonce(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[NonceKey] is not string nonce)
        {
            // Hex: nothing in it needs escaping in HTML or in the header.
            nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    /// <summary>First in the pipeline; the headers are set as the response starts, so error pages that clear the headers get them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Items[NonceKey] as string);
            headers.XContentTypeOptions = "nosniff";
            // Links carry credentials (survey and unsubscribe tokens, one-time invitation links), and staff
            // addresses name customers: no address leaves the site in a Referer header.
            headers["Referrer-Policy"] = "no-referrer";
            // For browsers that predate frame-ancestors.
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
