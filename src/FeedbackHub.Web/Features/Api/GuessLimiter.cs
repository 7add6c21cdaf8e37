using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace FeedbackHub.Web.Features.Api;

/// <summary>
/// Stops anyone from guessing secrets (discount codes, survey links): each caller may get a limited
/// number of misses per minute; past that, lookups answer 429 until the window moves on. Hits cost
/// nothing, so real customers are never slowed down by the limit.
/// </summary>
public abstract class GuessLimiter(int missesPerMinute) : IDisposable
{
    /// <summary>The window moves on in steps of this size; a blocked caller is told to retry after one step.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, SlidingWindowRateLimiter> _limiters = new(StringComparer.Ordinal);

    public bool IsBlocked(string partition) => Limiter(partition).GetStatistics()?.CurrentAvailablePermits <= 0;

    /// <summary>Counts one miss against the caller.</summary>
    public void CountMiss(string partition)
    {
        using var lease = Limiter(partition).AttemptAcquire();
    }

    private SlidingWindowRateLimiter Limiter(string partition) => _limiters.GetOrAdd(partition, _ => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = missesPerMinute,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = (int)(TimeSpan.FromMinutes(1) / Step),
        QueueLimit = 0,
        AutoReplenishment = true,
    }));

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
