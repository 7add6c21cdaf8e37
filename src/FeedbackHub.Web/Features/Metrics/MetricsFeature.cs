using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeedbackHub.Web.Features.Metrics;

public static class MetricsFeature
{
    /// <summary>The <c>FeedbackHub</c> meter's instruments, shared by every feature that records a measurement.</summary>
    public static IServiceCollection AddFeedbackHubMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // The host registers IMeterFactory already; a bare service collection (tests, the CLI) gets it here.
        services.AddMetrics();
        services.TryAddSingleton<FeedbackHubMetrics>();
        return services;
    }
}
