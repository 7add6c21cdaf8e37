using Quartz;
using Quartz.Spi;

namespace FeedbackHub.Web.Features.Scheduling;

/// <summary>
/// Builds each firing's job from DI in a scope of its own (its own DbContext), and ends the scope when
/// the job is done. Replaces Quartz's DI extension package, which cannot be restored here.
/// </summary>
internal sealed class ScopedJobFactory(IServiceScopeFactory scopes) : IJobFactory
{
    public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var scope = scopes.CreateAsyncScope();
        try
        {
            var job = (IJob)scope.ServiceProvider.GetRequiredService(bundle.JobDetail.JobType);
            return new ScopedJob(job, scope);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    public void ReturnJob(IJob job)
    {
        // Normally the scope ended with Execute; this covers a firing that was vetoed before it ran.
        if (job is ScopedJob scoped)
        {
            scoped.EndScope();
        }
    }

    /// <summary>The job and the scope it was resolved from; the scope ends (asynchronously) as soon as the job has run.</summary>
    private sealed class ScopedJob(IJob inner, AsyncServiceScope scope) : IJob
    {
        private int _ended;

        public async Task Execute(IJobExecutionContext context)
        {
            try
            {
                await inner.Execute(context);
            }
            finally
            {
                if (Interlocked.Exchange(ref _ended, 1) == 0)
                {
                    await scope.DisposeAsync();
                }
            }
        }

        public void EndScope()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                scope.Dispose();
            }
        }
    }
}
