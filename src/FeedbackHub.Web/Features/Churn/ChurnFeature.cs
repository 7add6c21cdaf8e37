using FeedbackHub.Web.Features.Scheduling;

namespace FeedbackHub.Web.Features.Churn;

public static class ChurnFeature
{
    /// <summary>The churn rules, their settings and the nightly job; ingest uses the detector too (the app and the command line).</summary>
    public static IServiceCollection AddChurnDetection(this IServiceCollection services)
    {
        services.AddOptions<ChurnOptions>().BindConfiguration(ChurnOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ChurnDetector>();
        services.AddScheduledJob<ChurnDetectionJob>();
        return services;
    }
}
