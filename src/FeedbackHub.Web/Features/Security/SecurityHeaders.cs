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
    /// <item><c>style-src 'unsafe-inline'</c>: Radzen's charts and our own heat map and uplift bars position
    /// and colour elements with <c>style</c> attributes, which Blazor sets at run time; and the email previews
    /// are <c>srcdoc</c> frames, which inherit this policy while emails must use inline styles for mail clients.
    /// Styles cannot run code; scripts stay locked down.</item>
    /// <item><c>base-uri 'self'</c>, not <c>'none'</c>: the staff pages have <c>&lt;base href="/"&gt;</c>, which
    /// Blazor's router and every relative link and stylesheet (e.g. <c>app.css</c> from <c>/dashboards/customers/5</c>)
    /// resolve against; <c>'none'</c> makes the browser ignore it and those addresses break.</item>
    /// <item><c>img-src data:</c>: Radzen's stylesheet draws small icons as data URIs.</item>
    /// <item><c>connect-src 'self'</c> covers the Blazor circuit's WebSocket (ws/wss to this host).</item>
    /// </list>
    /// </summary>
    public static string ContentSecurityPolicy(string? nonce) =>
        "default-src 'self'; "
        + (nonce is null ? "script-src 'self'; " : $"script-src 'self' 'nonce-{nonce}'; ")
        + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
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
