using FeedbackHub.Web.Features.Scheduling;

namespace FeedbackHub.Web.Features.Housekeeping;

public static class HousekeepingFeature
{
    /// <summary>The retention settings and the scheduled jobs that apply them; shared by the host and the CLI.</summary>
    public static IHostApplicationBuilder AddHousekeeping(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HousekeepingOptions>().BindConfiguration(HousekeepingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScheduledJob<OutboxHousekeepingJob>();
        builder.Services.AddScheduledJob<ImportUploadsCleanupJob>();
        return builder;
    }
}
