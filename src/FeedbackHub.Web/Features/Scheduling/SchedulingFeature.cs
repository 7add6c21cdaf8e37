using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace FeedbackHub.Web.Features.Scheduling;

public static class SchedulingFeature
{
    /// <summary>The Quartz scheduler as a hosted service (after the migrations, which create its tables), unless <c>Scheduler:Enabled</c> is false.</summary>
    public static IHostApplicationBuilder AddScheduler(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSchedulerOptions();
        builder.Services.AddSingleton<JobScheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobScheduler>());
        return builder;
    }

    /// <summary>
    /// Registers a job: its plain class (scoped, with the services of one run), its Quartz adapter, and
    /// its schedule in the <see cref="ScheduledJobCatalog"/>. Used by the host and the CLI alike.
    /// </summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services)
        where TJob : class, IScheduledJob
    {
        services.AddScoped<TJob>();
        services.TryAddScoped<JobInvocation>();
        services.AddTransient<QuartzJob<TJob>>();
        services.AddSchedulerOptions();
        services.AddSingleton(new ScheduledJobRegistration(
            TJob.Schedule,
            typeof(QuartzJob<TJob>),
            // The job class says whether runs may overlap; Quartz stores that with the job.
            DisallowConcurrentExecution: typeof(TJob).IsDefined(typeof(DisallowConcurrentExecutionAttribute), inherit: true),
            (provider, cancellationToken) => provider.GetRequiredService<TJob>().RunAsync(cancellationToken)));
        return services;
    }

    /// <summary>The catalog and the <c>Scheduler</c> settings it reads (once, however many jobs register).</summary>
    private static void AddSchedulerOptions(this IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(ScheduledJobCatalog)))
        {
            return;
        }

        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section);
        services.AddSingleton<ScheduledJobCatalog>();
    }
}
