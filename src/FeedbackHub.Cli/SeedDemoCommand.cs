using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FeedbackHub.Web.Features.DemoData;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Cli;

/// <summary><c>feedbackhub seed-demo</c>: fills the database with reproducible demo customers, orders and subscriptions.</summary>
internal static class SeedDemoCommand
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers")
        {
            Description = $"How many customers (1 to {DemoDataOptions.MaxCustomers:N0}).",
            DefaultValueFactory = _ => DemoDataOptions.DefaultCustomers,
        };
        customers.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < 1 or > DemoDataOptions.MaxCustomers)
            {
                result.AddError($"--customers must be between 1 and {DemoDataOptions.MaxCustomers:N0}; got {value}.");
            }
        });
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed and --as-of give the same data.", DefaultValueFactory = _ => DemoDataOptions.DefaultSeed };
        var months = new Option<int>("--months") { Description = "Months of history.", DefaultValueFactory = _ => 18 };
        months.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 120)
            {
                result.AddError("--months must be between 1 and 120.");
            }
        });
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Last day of history (yyyy-MM-dd); default today (UTC)." };

        var command = new Command("seed-demo", "Fill the database with demo data (Dutch and English customers, 18 months of orders and subscriptions, churn, exit surveys, thank-you campaigns).")
        {
            customers, seed, months, asOf,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var options = new DemoDataOptions
            {
                Customers = parse.GetValue(customers),
                Seed = parse.GetValue(seed),
                Months = parse.GetValue(months),
                AsOf = parse.GetValue(asOf),
            };
            var stopwatch = Stopwatch.StartNew();
            var progress = new Progress<int>(done =>
                Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rseeding: {done:N0} of {options.Customers:N0} customers ({100.0 * done / options.Customers:0}%)")));
            var result = await services.GetRequiredService<DemoDataGenerator>().SeedAsync(options, progress, ct);
            await Console.Error.WriteLineAsync();
            if (result.AlreadyPresent)
            {
                await Console.Error.WriteLineAsync($"Demo data is already present ({result.Customers:N0} customers); nothing was changed.");
                return Summary.Format(("status", "already-present"), ("customers", result.Customers));
            }

            return Summary.Format(("status", "ok"), ("customers", result.Customers), ("orders", result.Orders),
                ("subscription_events", result.SubscriptionEvents), ("churn_events", result.ChurnEvents), ("survey_invitations", result.SurveyInvitations),
                ("survey_responses", result.SurveyResponses), ("discount_codes", result.DiscountCodes), ("seconds", Math.Round(stopwatch.Elapsed.TotalSeconds, 1)));
        }, cancellationToken));
        return command;
    }
}
