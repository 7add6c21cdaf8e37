using System.CommandLine;
using FeedbackHub.Cli;

var root = new RootCommand("FeedbackHub command line. Reads the same settings as the web app (appsettings.json, environment).")
{
    MigrateCommand.Create(),
    UsersCommand.Create(),
    ApiKeysCommand.Create(),
    SeedDemoCommand.Create(),
    ImportCommand.Create(),
    JobsCommand.Create(),
    ReasonsCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Usage mistakes still end with the machine-readable line, like every other failure.
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    }

    Console.WriteLine(Summary.Format(("status", "failed"), ("error", string.Join(" ", parsed.Errors.Select(e => e.Message)))));
    return CliHost.Failed;
}

return await parsed.InvokeAsync();
