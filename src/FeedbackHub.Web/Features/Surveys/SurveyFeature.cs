using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Metrics;
using FeedbackHub.Web.Features.Scheduling;
using FeedbackHub.Web.Features.Security;
using FeedbackHub.Web.Features.Surveys.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>
/// The exit survey customers answer: <c>GET /s/{token}</c> swaps the link's token for a session cookie
/// and redirects to <c>/survey</c>, a static form that works without JavaScript. No GET stores an
/// answer (mail scanners open links); a GET only notes when the survey was first shown.
/// </summary>
public static class SurveyFeature
{
    public static IHostApplicationBuilder AddSurveys(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SurveyOptions>().BindConfiguration(SurveyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SurveyLinks>();
        builder.Services.AddSingleton<SurveyTokenGuessLimiter>();
        builder.Services.AddScoped<SurveyVersions>();
        builder.Services.AddScoped<SurveyInviter>();
        builder.Services.AddScoped<SurveySubmissions>();
        builder.Services.AddFeedbackHubMetrics();
        builder.Services.AddScoped<Review.ExitSurveyReview>();
        builder.Services.AddScoped<Admin.SurveyEditor>();
        builder.Services.AddScoped<Admin.WinBackOfferEditor>();
        builder.Services.AddScheduledJob<ExitSurveyJob>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSurveyEndpoints(this IEndpointRouteBuilder app)
    {
        // Antiforgery is checked in the submit handler, so a stale form gets a page in the customer's language rather than a bare 400.
        var group = app.MapGroup("").DisableAntiforgery().AsCustomerLinkPages();
        group.MapGet($"{SurveyLinks.LinkPrefix}/{{token}}", OpenLinkAsync);
        group.MapGet(SurveyLinks.SurveyPath, ShowAsync);
        group.MapPost(SurveyLinks.SurveyPath, SubmitAsync)
            .RequireRateLimiting(RateLimits.SurveyPolicy)
            .WithMetadata(new TooManyRequestsResponse(http => TooMany(http, null).ExecuteAsync(http)));
        return app;
    }

    private static async Task<IResult> OpenLinkAsync(
        string token, HttpContext http, SurveyLinks links, SurveyTokenGuessLimiter guesses, AppDbContext db, TimeProvider time,
        IOptions<EmailOptions> emailOptions, CancellationToken cancellationToken)
    {
        var partition = Api.ApiFeature.CallerPartition(http);
        var locale = PreferredLocale(http, emailOptions.Value);
        if (guesses.IsBlocked(partition))
        {
            RateLimits.SetRetryAfter(http.Response, Api.GuessLimiter.Step);
            return TooMany(http, locale);
        }

        var hash = SurveyLinks.LooksLikeToken(token) ? SurveyLinks.Hash(token) : null;
        var invitation = hash is null ? null : await db.SurveyInvitations.AsNoTracking()
            .Where(i => i.TokenHash == hash || i.ReminderTokenHash == hash)
            .Select(i => new { i.Id, i.ExpiresAt, i.AnsweredAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (invitation is null)
        {
            guesses.CountMiss(partition);
            return Page(http, StatusCodes.Status404NotFound, SurveyPageMode.NotValid, locale);
        }

        // An expired link reads exactly like an unknown one: nothing here tells a guesser they were close.
        if (invitation.ExpiresAt <= time.GetUtcNow() && invitation.AnsweredAt is null)
        {
            return Page(http, StatusCodes.Status404NotFound, SurveyPageMode.NotValid, locale);
        }

        links.SetSession(http, invitation.Id);
        return Results.Redirect(SurveyLinks.SurveyPath, permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> ShowAsync(
        string? lang, HttpContext http, SurveyLinks links, SurveyVersions versions, SurveySubmissions submissions, AppDbContext db,
        TimeProvider time, IAntiforgery antiforgery, IOptions<EmailOptions> emailOptions, CancellationToken cancellationToken)
    {
        var fallback = CustomerLocales.IsSupported(lang) ? lang! : PreferredLocale(http, emailOptions.Value);
        if (links.SessionInvitation(http) is not { } invitationId
            || await db.SurveyInvitations.Include(i => i.Customer).FirstOrDefaultAsync(i => i.Id == invitationId, cancellationToken) is not { } invitation)
        {
            return Page(http, StatusCodes.Status404NotFound, SurveyPageMode.NoSession, fallback);
        }

        var locale = CustomerLocales.IsSupported(lang) ? lang! : invitation.Locale;
        var now = time.GetUtcNow();
        if (invitation.AnsweredAt is not null)
        {
            var response = await db.SurveyResponses.AsNoTracking().FirstAsync(r => r.InvitationId == invitation.Id, cancellationToken);
            var answered = await versions.FindAsync(response.SurveyVersionId, cancellationToken);
            return Page(http, StatusCodes.Status200OK, SurveyPageMode.Thanks, locale, answered?.Definition,
                winBack: await submissions.WinBackAsync(response, invitation.Customer!, cancellationToken));
        }

        if (invitation.ExpiresAt <= now)
        {
            return Page(http, StatusCodes.Status404NotFound, SurveyPageMode.NotValid, locale);
        }

        if (invitation.OpenedAt is null)
        {
            // Telemetry for the funnel, not an answer: the first time a browser (not a link scanner) showed the form.
            await db.SurveyInvitations.Where(i => i.Id == invitation.Id && i.OpenedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.OpenedAt, now), cancellationToken);
        }

        var version = await versions.CurrentAsync(cancellationToken);
        return Form(http, antiforgery, StatusCodes.Status200OK, locale, version, new SurveyAnswers(version.Id, null, null, null), null);
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext http, SurveyLinks links, SurveySubmissions submissions, IAntiforgery antiforgery,
        IOptions<EmailOptions> emailOptions, CancellationToken cancellationToken)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(cancellationToken) : null;
        var locale = CustomerLocales.IsSupported(form?["lang"]) ? form!["lang"].ToString() : PreferredLocale(http, emailOptions.Value);
        if (links.SessionInvitation(http) is not { } invitationId)
        {
            return Page(http, StatusCodes.Status404NotFound, SurveyPageMode.NoSession, locale);
        }

        if (form is null || !await antiforgery.IsRequestValidAsync(http))
        {
            return Page(http, StatusCodes.Status400BadRequest, SurveyPageMode.FormExpired, locale);
        }

        var answers = new SurveyAnswers(
            long.TryParse(form["version"], System.Globalization.CultureInfo.InvariantCulture, out var versionId) ? versionId : 0,
            form["reason"], form["comment"], form["comeback"]);
        var result = await submissions.SubmitAsync(invitationId, answers, locale, cancellationToken);
        switch (result.Outcome)
        {
            case SubmitOutcome.Saved:
                return Results.Redirect($"{SurveyLinks.SurveyPath}?lang={locale}", permanent: false, preserveMethod: false);
            case SubmitOutcome.AlreadyReceived:
                return Page(http, StatusCodes.Status409Conflict, SurveyPageMode.AlreadyReceived, locale);
            case SubmitOutcome.NotValid:
                return Page(http, StatusCodes.Status404NotFound, SurveyPageMode.NotValid, locale);
            default:
                var version = result.Version!;
                return Form(http, antiforgery, StatusCodes.Status400BadRequest, locale, version, answers with { VersionId = version.Id }, result.Errors);
        }
    }

    /// <summary>The "too many attempts" page; Retry-After is already set.</summary>
    private static RazorComponentResult<SurveyPage> TooMany(HttpContext http, string? locale) =>
        Page(http, StatusCodes.Status429TooManyRequests, SurveyPageMode.TooMany,
            locale ?? PreferredLocale(http, http.RequestServices.GetRequiredService<IOptions<EmailOptions>>().Value));

    private static RazorComponentResult<SurveyPage> Form(
        HttpContext http, IAntiforgery antiforgery, int status, string locale, SurveyVersionInfo version, SurveyAnswers answers,
        IReadOnlyDictionary<string, string>? errors)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Page(http, status, SurveyPageMode.Form, locale, version.Definition, answers, errors, new AntiforgeryField(tokens.FormFieldName, tokens.RequestToken!));
    }

    private static RazorComponentResult<SurveyPage> Page(
        HttpContext http, int status, SurveyPageMode mode, string locale, SurveyDefinition? definition = null, SurveyAnswers? answers = null,
        IReadOnlyDictionary<string, string>? errors = null, AntiforgeryField? antiforgery = null, WinBackDisplay? winBack = null)
    {
        http.Response.StatusCode = status;
        return new RazorComponentResult<SurveyPage>(new
        {
            Mode = mode,
            Locale = locale,
            Brand = http.RequestServices.GetRequiredService<IOptions<EmailOptions>>().Value.FromName,
            Definition = definition,
            Answers = answers,
            Errors = errors,
            Antiforgery = antiforgery,
            WinBack = winBack,
        }) { StatusCode = status };
    }

    /// <summary>For pages shown before we know the customer: the browser's first supported language, else the installation's default.</summary>
    private static string PreferredLocale(HttpContext http, EmailOptions options)
    {
        foreach (var language in http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            var code = language.Value.Value?.Split('-')[0].ToLowerInvariant();
            if (CustomerLocales.IsSupported(code))
            {
                return code!;
            }
        }

        return options.DefaultLocale;
    }
}

/// <summary>The hidden field that proves a post came from our form.</summary>
public sealed record AntiforgeryField(string Name, string Value);

public enum SurveyPageMode
{
    Form,
    Thanks,
    AlreadyReceived,
    NotValid,
    NoSession,
    FormExpired,
    TooMany,
}

/// <summary>Unknown survey links per address per minute, before <c>/s/…</c> answers 429.</summary>
public sealed class SurveyTokenGuessLimiter(IOptions<SurveyOptions> options) : Api.GuessLimiter(options.Value.TokenGuessesPerMinute);
