using System.Text.Json;
using FeedbackHub.Data.Staff;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Privacy;

/// <summary>
/// The API's answer to an erasure request: <c>erased</c>, or <c>alreadyErased</c> when an earlier request
/// did it (nothing changed), with how many rows lost personal data.
/// </summary>
public sealed record ErasureResponse(ErasureOutcome Outcome, int EmailsCancelled, int EmailsEmptied, int AnswersEmptied);

/// <summary>GDPR requests (export, erasure) for admins and over the API, and the survey-text retention job.</summary>
public static class PrivacyFeature
{
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<CustomerPrivacy>();
        builder.Services.AddScheduledJob<SurveyTextRetentionJob>();
        return builder;
    }

    /// <summary>The address of the admin's JSON download on the customer page.</summary>
    public static string ExportPath(long customerId) => $"dashboards/customers/{customerId}/export.json";

    /// <summary><c>GET /dashboards/customers/{id}/export.json</c>: everything about one customer, for admins only; audited.</summary>
    public static IEndpointRouteBuilder MapPrivacyDownloads(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/dashboards/customers/{customerId:long}/export.json", DownloadAsync)
            .RequireAuthorization(policy => policy.RequireRole(StaffRoles.Admin))
            .ExcludeFromDescription();
        return endpoints;
    }

    public static RouteGroupBuilder MapPrivacyApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var privacy = api.MapGroup("").RequireAuthorization(ApiKeysFeature.PrivacyPolicy).WithTags("Privacy");
        privacy.MapGet("/customers/{externalId}/export", ExportAsync)
            .WithSummary("Everything held about one customer (GDPR access request): profile, consent, suppression, orders, subscription events, codes, emails, churn, surveys, campaigns. Audited.");
        privacy.MapPost("/customers/{externalId}/erase", EraseAsync)
            .WithSummary("Erases one customer (GDPR erasure): personal data anonymised, pending emails cancelled, the address kept only as a hash so it is never emailed again; ids, amounts and dates stay for the figures. Repeating it changes nothing. Audited.");
        return api;
    }

    public static async Task<Results<Ok<CustomerDataExport>, ProblemHttpResult>> ExportAsync(
        string externalId, HttpContext context, CustomerPrivacy privacy, CancellationToken cancellationToken) =>
        await privacy.ExportAsync(Actor.From(context.User), externalId, cancellationToken) is { } export
            ? TypedResults.Ok(export)
            : NotFound(externalId);

    public static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> EraseAsync(
        string externalId, HttpContext context, CustomerPrivacy privacy, CancellationToken cancellationToken)
    {
        var result = await privacy.EraseAsync(Actor.From(context.User), externalId, cancellationToken);
        return result.Outcome == ErasureOutcome.NotFound
            ? NotFound(externalId)
            : TypedResults.Ok(new ErasureResponse(result.Outcome, result.EmailsCancelled, result.EmailsEmptied, result.AnswersEmptied));
    }

    private static ProblemHttpResult NotFound(string externalId) =>
        TypedResults.Problem($"No customer with external id '{externalId}'.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> DownloadAsync(
        long customerId, HttpContext context, CustomerPrivacy privacy, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        if (await privacy.ExportAsync(Actor.From(context.User), customerId, cancellationToken) is not { } export)
        {
            return TypedResults.Problem($"There is no customer {customerId}.", statusCode: StatusCodes.Status404NotFound);
        }

        // The API's JSON settings, so the download and GET /api/v1/customers/{id}/export have one shape.
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(export, json.Value.SerializerOptions), "application/json", $"customer-{customerId}.json");
    }
}
