using FeedbackHub.Data.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FeedbackHub.Web.Features.Import;

public static class ImportFeature
{
    public const string ImportRoles = StaffRoles.Admin + "," + StaffRoles.Marketer;

    public static IHostApplicationBuilder AddImport(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<CsvImporter>();
        builder.Services.AddSingleton<ImportJobs>();
        return builder;
    }

    /// <summary>The upload (a plain form post, so large files stream to disk) and the report download.</summary>
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var import = endpoints.MapGroup("/import").RequireAuthorization(policy => policy.RequireRole(StaffRoles.Admin, StaffRoles.Marketer));
        import.MapPost("/upload", UploadAsync)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ImportJobs.MaxUploadBytes))
            .WithFormOptions(multipartBodyLengthLimit: ImportJobs.MaxUploadBytes);
        import.MapGet("/{id:guid}/rejected.csv", DownloadReport);
        return endpoints;
    }

    private static async Task<Results<RedirectHttpResult, BadRequest<string>>> UploadAsync(
        IFormFile? file, HttpContext context, ImportJobs jobs, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return TypedResults.BadRequest("Choose a CSV file to upload.");
        }

        await using var content = file.OpenReadStream();
        var job = await jobs.AcceptAsync(content, file.FileName, context.User.Identity?.Name ?? "unknown", cancellationToken);
        return TypedResults.LocalRedirect($"~/import/{job.Id}");
    }

    private static Results<PhysicalFileHttpResult, NotFound> DownloadReport(Guid id, ImportJobs jobs) =>
        jobs.Find(id)?.Result?.ReportPath is { } path && File.Exists(path)
            ? TypedResults.PhysicalFile(path, "text/csv", $"{Path.GetFileNameWithoutExtension(jobs.Find(id)!.FileName)}-rejected.csv")
            : TypedResults.NotFound();
}
