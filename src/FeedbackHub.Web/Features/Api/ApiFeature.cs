using System.Security.Claims;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Security;
using Microsoft.AspNetCore.Diagnostics;

namespace FeedbackHub.Web.Features.Api;

/// <summary>Marks an endpoint's largest accepted request body.</summary>
public sealed record RequestBodyLimit(Func<ApiOptions, long> Bytes);

/// <summary>What every REST endpoint shares: OpenAPI, per-key rate limits and body limits (applied by <see cref="Security.SecurityFeature"/>), and ProblemDetails errors.</summary>
public static class ApiFeature
{
    public const string PathPrefix = "/api";

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOpenApi();
        // Enums travel as their names ("percentage", "everyNthOrder"), readable and stable when members are added.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        // Unreadable bodies become exceptions that UseApiErrors words as ProblemDetails (instead of a bare 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>Whom an API limit counts against: the key once authenticated, else the client's address.</summary>
    public static string CallerPartition(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? "ip:" + context.Connection.RemoteIpAddress;
    }

    public static bool IsApiRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every API error as ProblemDetails: unreadable bodies, failures, and bare status
    /// codes (404, 405). Runs after routing and authorization, before the endpoint.
    /// </summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) =>
        app.UseWhen(IsApiRequest, api => api.Use(async (context, next) =>
        {
            if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            // The JSON reader cannot decode a body in a character set it does not know, and would throw as if we failed.
            if (UnknownCharset(context.Request) is { } charset)
            {
                await WriteProblemAsync(context, StatusCodes.Status415UnsupportedMediaType,
                    $"The character set '{charset}' is not one we can read; send JSON in UTF-8 (Content-Type: application/json; charset=utf-8).");
                return;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                // Malformed JSON, a wrong type or an oversized streamed body: say exactly what was wrong.
                await WriteProblemAsync(context, ex.StatusCode, ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message);
                return;
            }
            catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("FeedbackHub.Api").LogApiFailure(context.Request.Path, ex);
                await WriteProblemAsync(context, StatusCodes.Status500InternalServerError, "The request failed on our side; it has been logged.");
                return;
            }

            if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null } && context.Response.ContentType is null)
            {
                await WriteProblemAsync(context, context.Response.StatusCode, null);
            }
        }));

    /// <summary>The charset a request's Content-Type names when no encoding is known by that name; null when it names none or a known one.</summary>
    internal static string? UnknownCharset(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.Charset.HasValue && type.Encoding is null
            ? TextLimits.Shorten(type.Charset.Value.ToString())
            : null;

    public static RouteGroupBuilder MapApiV1(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi().AllowAnonymous();
        // Unknown API addresses answer 404 ProblemDetails rather than the staff login redirect.
        endpoints.MapFallback(PathPrefix + "/{**path}", () => TypedResults.Problem(
                "There is no API endpoint at this address; the OpenAPI document at /openapi/v1.json lists them.",
                statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous();
        return endpoints.MapGroup(PathPrefix + "/v1")
            .RequireRateLimiting(RateLimits.ApiPolicy)
            .DisableAntiforgery()
            .WithMetadata(new RequestBodyLimit(api => api.MaxItemBodyBytes));
    }

    /// <summary>Sets the status and writes the ProblemDetails body every API error uses.</summary>
    internal static async Task WriteProblemAsync(HttpContext context, int status, string? detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }
}

internal static partial class ApiLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "API request {Path} failed")]
    public static partial void LogApiFailure(this ILogger logger, PathString path, Exception exception);
}
