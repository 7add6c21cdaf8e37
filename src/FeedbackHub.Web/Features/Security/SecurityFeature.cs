namespace FeedbackHub.Web.Features.Security;

/// <summary>Rate limits, request body limits and security headers (see <see cref="RateLimits"/>, <see cref="RequestBodyLimits"/>, <see cref="SecurityHeaders"/>).</summary>
public static class SecurityFeature
{
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(RateLimits.AddPolicies);
        return builder;
    }
}
