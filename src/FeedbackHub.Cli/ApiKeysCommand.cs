using System.CommandLine;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Cli;

/// <summary><c>feedbackhub apikeys create</c>: a key for a shop system, without the staff UI.</summary>
internal static class ApiKeysCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "What uses the key, e.g. 'Webshop production'.", Required = true };
        var scopes = new Option<string>("--scopes")
        {
            Description = $"Comma-separated scopes: {string.Join(", ", ApiScopes.All)}.",
            DefaultValueFactory = _ => ApiScopes.Ingest,
        };
        var create = new Command("create", "Create an API key; the secret is printed once, at the end of the last line.") { name, scopes };
        create.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var requested = parse.GetValue(scopes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var result = await services.GetRequiredService<ApiKeyService>().CreateAsync(Actor.System, parse.GetValue(name)!, requested, ct);
            if (!result.Succeeded)
            {
                throw new VerbFailedException(string.Join(" ", result.Errors));
            }

            var key = result.Value!.Key;
            await Console.Error.WriteLineAsync("Store the secret now: it is shown only this once.");
            return Summary.Format(("status", "ok"), ("key_id", key.KeyId), ("name", key.Name), ("scopes", string.Join(',', key.ScopeList)),
                ("secret", result.Value.Secret));
        }, cancellationToken));
        return new Command("apikeys", "Manage API keys for shop systems.") { create };
    }
}
