using System.Threading.Channels;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>
/// "There is a new answer to classify": a signal that coalesces (a burst of submits wakes the worker
/// once) and never blocks or fails the caller, so a customer's submit cannot wait on the classifier.
/// </summary>
public sealed class ClassificationSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for the next signal; false when none can come any more.</summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (!await _channel.Reader.WaitToReadAsync(cancellationToken))
        {
            return false;
        }

        _channel.Reader.TryRead(out _);
        return true;
    }
}

/// <summary>
/// Classifies new answers in the background on the node that received them, woken by
/// <see cref="ClassificationSignal"/>. Whatever it misses (a restart, a failure) the
/// <see cref="ReasonClassificationJob"/> picks up within a minute.
/// </summary>
public sealed partial class ClassificationWorker(
    ClassificationSignal signal, IServiceScopeFactory scopes, ILogger<ClassificationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await signal.WaitAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<ResponseClassifier>().ClassifyPendingAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; unclassified answers wait for the catch-up job.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Classifying new survey answers failed; the catch-up job will retry")]
    private partial void LogFailed(Exception exception);
}
