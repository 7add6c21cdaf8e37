using FeedbackHub.Testing;

namespace FeedbackHub.Cli.Tests;

/// <summary>Runs the real <c>feedbackhub</c> program with its own data folder, as an operator would.</summary>
internal sealed class CliRunner(string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null)
{
    public Task<ProcessResult> RunAsync(string[] arguments, string? standardInput = null)
    {
        var environment = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Storage__DataDirectory"] = dataDirectory,
        };
        var program = Path.Combine(AppContext.BaseDirectory, "feedbackhub.dll");
        return ProcessRunner.RunAsync("dotnet", [program, .. arguments], environment, dataDirectory, standardInput, TimeSpan.FromMinutes(3));
    }

    /// <summary>Starts a verb and kills it (the whole process) as soon as <paramref name="condition"/> holds; false if it ended first.</summary>
    public async Task<bool> KillWhenAsync(string[] arguments, Func<Task<bool>> condition)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "feedbackhub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Storage__DataDirectory"] = dataDirectory;
        using var process = System.Diagnostics.Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>The <c>key=value</c> pairs of the machine-readable last line.</summary>
    public static Dictionary<string, string> ParseSummary(ProcessResult result)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var line = result.LastOutputLine;
        var position = 0;
        while (position < line.Length)
        {
            var equals = line.IndexOf('=', position);
            var key = line[position..equals];
            position = equals + 1;
            string value;
            if (position < line.Length && line[position] == '"')
            {
                var builder = new System.Text.StringBuilder();
                position++;
                while (line[position] != '"')
                {
                    builder.Append(line[position] == '\\' ? line[++position] : line[position]);
                    position++;
                }

                value = builder.ToString();
                position++;
            }
            else
            {
                var space = line.IndexOf(' ', position);
                value = space < 0 ? line[position..] : line[position..space];
                position = space < 0 ? line.Length : space;
            }

            pairs[key] = value;
            position = Math.Min(line.Length, position + (position < line.Length && line[position] == ' ' ? 1 : 0));
        }

        return pairs;
    }
}
