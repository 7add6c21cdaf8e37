using System.Collections.Concurrent;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Auditing;

namespace FeedbackHub.Web.Features.Import;

public enum ImportState
{
    Uploaded,
    Running,
    Completed,
    Failed,
}

/// <summary>An uploaded file and, once started, its import. Progress is read by the page while it runs.</summary>
public sealed class ImportJob(Guid id, string fileName, string path, long size, string uploadedBy, DateTimeOffset uploadedAt)
{
    private volatile ImportProgress? _progress;

    public Guid Id { get; } = id;

    public string FileName { get; } = fileName;

    public string Path { get; } = path;

    public long Size { get; } = size;

    public string UploadedBy { get; } = uploadedBy;

    public DateTimeOffset UploadedAt { get; } = uploadedAt;

    public ImportState State { get; internal set; } = ImportState.Uploaded;

    public ImportKind? Kind { get; internal set; }

    public bool DryRun { get; internal set; }

    public ImportProgress? Progress => _progress;

    public ImportResult? Result { get; internal set; }

    public string? Error { get; internal set; }

    internal void Report(ImportProgress progress) => _progress = progress;
}

/// <summary>
/// Uploaded files and their imports on this node. Imports run in the background so a closed browser
/// tab does not stop them; the page follows their progress.
/// </summary>
public sealed partial class ImportJobs(
    StorageSettings storage, IServiceScopeFactory scopeFactory, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<ImportJobs> logger)
{
    /// <summary>Largest file accepted for upload.</summary>
    public const long MaxUploadBytes = 1L << 30;

    /// <summary>The data folder's sub-folder for uploads; old ones nobody imported are deleted by a housekeeping job.</summary>
    public const string UploadFolder = "imports";

    private readonly ConcurrentDictionary<Guid, ImportJob> _jobs = new();

    public IReadOnlyList<ImportJob> Recent => [.. _jobs.Values.OrderByDescending(j => j.UploadedAt).Take(20)];

    public ImportJob? Find(Guid id) => _jobs.GetValueOrDefault(id);

    /// <summary>Stores an upload in the data folder (streamed, never whole in memory).</summary>
    public async Task<ImportJob> AcceptAsync(Stream content, string fileName, string uploadedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var id = Guid.NewGuid();
        var path = System.IO.Path.Combine(storage.SubDirectory(UploadFolder), $"{id:N}.csv");
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        var job = new ImportJob(id, System.IO.Path.GetFileName(fileName), path, new FileInfo(path).Length, uploadedBy, time.GetUtcNow());
        _jobs[id] = job;
        return job;
    }

    /// <summary>Starts the import of an uploaded (or dry-run) file; false when it already runs or ran for real.</summary>
    public bool Start(Guid id, ImportKind kind, bool dryRun, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var job = Find(id);
        lock (_jobs)
        {
            if (job is null || !(job.State == ImportState.Uploaded || job is { State: ImportState.Completed, DryRun: true }))
            {
                return false;
            }

            (job.State, job.Kind, job.DryRun, job.Result) = (ImportState.Running, kind, dryRun, null);
        }

        _ = Task.Run(() => RunAsync(job, kind, dryRun, actor));
        return true;
    }

    private async Task RunAsync(ImportJob job, ImportKind kind, bool dryRun, Actor actor)
    {
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            await using var stream = new FileStream(job.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var importer = scope.ServiceProvider.GetRequiredService<CsvImporter>();
            job.Result = await importer.ImportAsync(stream, kind, dryRun, new Reporter(job), lifetime.ApplicationStopping);
            if (!dryRun)
            {
                await scope.ServiceProvider.GetRequiredService<AuditTrail>().RecordAsync(actor, AuditActions.ImportCompleted,
                    $"import:{job.FileName}", $"{ImportColumns.Name(kind)}: {job.Result.Summary}");
            }

            job.State = ImportState.Completed;
            if (!dryRun)
            {
                // The rows are stored (and the rejected ones are in the report); the upload is no longer needed.
                File.Delete(job.Path);
            }
        }
        catch (ImportFileException ex)
        {
            (job.Error, job.State) = (ex.Message, ImportState.Failed);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogImportFailed(job.FileName, ex);
            (job.Error, job.State) = ("The import stopped because of an error on our side; it has been logged. Rows stored so far are complete; run the import again to finish it.", ImportState.Failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Import of {FileName} failed")]
    private partial void LogImportFailed(string fileName, Exception exception);

    /// <summary>Publishes progress straight to the job (no synchronisation context to post to).</summary>
    private sealed class Reporter(ImportJob job) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => job.Report(value);
    }
}
