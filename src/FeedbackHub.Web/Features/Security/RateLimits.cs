using System.Globalization;
using System.Threading.RateLimiting;
using FeedbackHub.Web.Features.Api;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Security;

/// <summary>
/// An endpoint's own answer when its rate limit rejects a request (e.g. the survey page in the
/// customer's language); without one, API requests get ProblemDetails and pages the status page.
/// </summary>
public sealed record TooManyRequestsResponse(Func<HttpContext, Task> WriteAsync);

/// <summary>
/// Every rate limit and its one rejection answer: 429 with Retry-After. The API counts per key
/// (token bucket, <see cref="ApiOptions"/>); the account forms and the survey count posts per client
/// address (fixed window, <see cref="LimitsOptions"/>), so reading a page never uses up an attempt.
/// </summary>
public static class RateLimits
{
    public const string ApiPolicy = "api";
    public const string AccountFormsPolicy = "account-forms";
    public const string SurveyPolicy = "survey";

    internal static void AddPolicies(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = RejectAsync;
        options.AddPolicy(ApiPolicy, context =>
        {
            var api = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
            return RateLimitPartition.GetTokenBucketLimiter(ApiFeature.CallerPartition(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = api.Burst,
                TokensPerPeriod = api.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        options.AddPolicy(AccountFormsPolicy, context => PostsPerMinute(context, limits => limits.AccountFormPostsPerMinute));
        options.AddPolicy(SurveyPolicy, context => PostsPerMinute(context, limits => limits.SurveyPostsPerMinute));
    }

    /// <summary>Sets Retry-After in whole seconds (at least one) and returns them, for every 429 the app answers.</summary>
    public static int SetRetryAfter(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }

    private static RateLimitPartition<string> PostsPerMinute(HttpContext context, Func<LimitsOptions, int> permits)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var limit = permits(context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter("ip:" + context.Connection.RemoteIpAddress, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = SetRetryAfter(http.Response, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1));
        if (ApiFeature.IsApiRequest(http))
        {
            await ApiFeature.WriteProblemAsync(http, StatusCodes.Status429TooManyRequests,
                $"Too many requests for this API key; retry after {seconds} second(s).");
        }
        else if (http.GetEndpoint()?.Metadata.GetMetadata<TooManyRequestsResponse>() is { } own)
        {
            await own.WriteAsync(http);
        }

        // Otherwise the body stays empty and the status-code page explains the 429 in the app's layout.
    }
}
