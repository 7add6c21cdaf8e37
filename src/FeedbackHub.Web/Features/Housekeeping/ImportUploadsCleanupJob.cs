using System.Globalization;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Import;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.Extensions.Options;
using Quartz;

namespace FeedbackHub.Web.Features.Housekeeping;

/// <summary>
/// Hourly: deletes uploaded CSV files that were never imported (an import deletes its file when it
/// completes) once they are older than <see cref="HousekeepingOptions.UnimportedUploadHours"/>, so
/// abandoned uploads of customer data do not pile up in the data folder.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ImportUploadsCleanupJob(
    StorageSettings storage, IOptions<HousekeepingOptions> options, TimeProvider time, ILogger<ImportUploadsCleanupJob> logger) : IScheduledJob
{
    public static JobSchedule Schedule { get; } = new(
        Name: "import-uploads-cleanup",
        Description: "Deletes uploaded CSV files that were not imported within Housekeeping:UnimportedUploadHours hours (default 24).",
        Cron: "0 15 * * * ?",
        When: "hourly at minute 15");

    public Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddHours(-options.Value.UnimportedUploadHours).UtcDateTime;
        long deleted = 0, kept = 0, failed = 0;
        // Only the upload folder's own files: import reports live in a folder of their own.
        foreach (var path in Directory.EnumerateFiles(storage.SubDirectory(ImportJobs.UploadFolder)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (File.GetLastWriteTimeUtc(path) >= cutoff)
                {
                    kept++;
                    continue;
                }

                File.Delete(path);
                deleted++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // In use (an import started just in time) or not ours to delete: try again next hour.
                failed++;
                LogNotDeleted(Path.GetFileName(path), ex.Message);
            }
        }

        return Task.FromResult(new JobResult(
            string.Create(CultureInfo.InvariantCulture,
                $"Deleted {deleted} upload(s) older than {options.Value.UnimportedUploadHours} hours; {kept} newer kept, {failed} could not be deleted."),
            [("deleted", deleted), ("kept", kept), ("failed", failed)]));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the old upload {File}: {Reason}")]
    private partial void LogNotDeleted(string file, string reason);
}
