using FeedbackHub.Web.Features.Scheduling;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FeedbackHub.Web.Features.Health;

/// <summary>
/// Healthy when this node's job scheduler runs (or is switched off on purpose); Degraded in stand-by,
/// where it fires nothing until resumed; Unhealthy when it should run and does not.
/// </summary>
public sealed class SchedulerHealthCheck(JobScheduler scheduler) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        if (!scheduler.Enabled)
        {
            return HealthCheckResult.Healthy($"Scheduled jobs are off on this node ({SchedulerOptions.Section}:Enabled is false).");
        }

        if (!scheduler.IsRunning)
        {
            return HealthCheckResult.Unhealthy("The job scheduler is not running on this node, so it runs no scheduled jobs; see the log for why it stopped.");
        }

        return scheduler.InStandby
            ? HealthCheckResult.Degraded($"The job scheduler {scheduler.NodeId} is in stand-by: it fires no jobs until it is resumed.")
            : HealthCheckResult.Healthy($"The job scheduler runs as {scheduler.NodeId}.");
    }
}
