using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Email;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Unsubscribe;

/// <summary>
/// RFC 8058 one-click unsubscribe and the preferences page behind every List-Unsubscribe link.
/// The token in the path is the only credential: no cookies, no login, no antiforgery token (a
/// forged request would need the recipient's token). A GET only shows choices; it never changes them,
/// because mail scanners fetch links.
/// </summary>
public static class UnsubscribeFeature
{
    public static IEndpointRouteBuilder MapUnsubscribeEndpoints(this IEndpointRouteBuilder app)
    {
        // The token in the path is the credential, so no antiforgery token is needed here.
        var group = app.MapGroup($"/{UnsubscribeLinks.PathPrefix}/{{token}}").DisableAntiforgery().AsCustomerLinkPages();
        group.MapGet("", ShowAsync);
        group.MapPost("", OneClickAsync);
        group.MapPost("/preferences", SavePreferencesAsync);
        return app;
    }

    private static async Task<RazorComponentResult<UnsubscribePage>> ShowAsync(
        string token, string? lang, string? done, UnsubscribeLinks links, EmailConsent consent, AppDbContext db,
        IOptions<EmailOptions> options, HttpContext http, CancellationToken cancellationToken)
    {
        var address = links.AddressFrom(token);
        var locale = CustomerLocales.IsSupported(lang) ? lang! : await LocaleOfAsync(address, db, options.Value, cancellationToken);
        var (offers, surveys) = address is null ? (false, false) : await consent.PreferencesAsync(address, cancellationToken);
        if (address is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return new RazorComponentResult<UnsubscribePage>(new
        {
            Token = token,
            Address = address,
            Locale = locale,
            Brand = options.Value.FromName,
            Offers = offers,
            Surveys = surveys,
            Done = done,
        });
    }

    /// <summary>The one-click POST from a mail client (body <c>List-Unsubscribe=One-Click</c>), or the page's "unsubscribe from all" button.</summary>
    private static async Task<IResult> OneClickAsync(
        string token, HttpRequest request, UnsubscribeLinks links, EmailConsent consent, AppDbContext db, TimeProvider time,
        IOptions<EmailOptions> options, CancellationToken cancellationToken)
    {
        if (links.AddressFrom(token) is not { } address)
        {
            return Results.NotFound();
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : null;
        var fromPage = form is not null && form["from"].ToString() == "page";
        await consent.SuppressAsync(address, SuppressionScope.All, SuppressionReason.Unsubscribed, fromPage ? "preferences page" : "one-click", time.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (fromPage)
        {
            return Results.Redirect($"/{UnsubscribeLinks.PathPrefix}/{token}?lang={Locale(form?["lang"])}&done=all", preserveMethod: false);
        }

        var locale = await LocaleOfAsync(address, db, options.Value, cancellationToken);
        return Results.Text(UnsubscribeTexts.For(locale).OneClickDone, "text/plain; charset=utf-8");
    }

    private static async Task<IResult> SavePreferencesAsync(
        string token, HttpRequest request, UnsubscribeLinks links, EmailConsent consent, TimeProvider time, CancellationToken cancellationToken)
    {
        if (links.AddressFrom(token) is not { } address)
        {
            return Results.NotFound();
        }

        if (!request.HasFormContentType)
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: "Send the preferences as a form.");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        await consent.SetPreferencesAsync(address, form["offers"].ToString() == "on", form["surveys"].ToString() == "on", time.GetUtcNow(), cancellationToken);
        return Results.Redirect($"/{UnsubscribeLinks.PathPrefix}/{token}?lang={Locale(form["lang"])}&done=saved", preserveMethod: false);
    }

    private static string Locale(string? requested) => CustomerLocales.IsSupported(requested) ? requested! : CustomerLocales.English;

    /// <summary>The language of the customer with this address, else the configured default.</summary>
    private static async Task<string> LocaleOfAsync(string? address, AppDbContext db, EmailOptions options, CancellationToken cancellationToken)
    {
        if (address is null)
        {
            return options.DefaultLocale;
        }

        // Customers keep their address as the shop sent it; the token holds it lower-cased. ToLower runs as SQL lower().
#pragma warning disable CA1304, CA1311, CA1862
        var locale = await db.Customers.AsNoTracking()
            .Where(c => c.Email == address || c.Email.ToLower() == address)
#pragma warning restore CA1304, CA1311, CA1862
            .Select(c => c.Locale).FirstOrDefaultAsync(cancellationToken);
        return CustomerLocales.IsSupported(locale) ? locale! : options.DefaultLocale;
    }
}
