using System.CommandLine;
using FeedbackHub.Cli;

var root = new RootCommand("FeedbackHub command line. Reads the same settings as the web app (appsettings.json, environment).")
{
    MigrateCommand.Create(),
    UsersCommand.Create(),
    SeedDemoCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
