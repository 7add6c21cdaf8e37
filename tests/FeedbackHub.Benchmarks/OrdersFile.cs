using System.Globalization;

namespace FeedbackHub.Benchmarks;

/// <summary>Writes reproducible customers and orders CSV files of any size (streamed).</summary>
internal static class OrdersFile
{
    public const int Customers = 10_000;

    public static async Task WriteCustomersAsync(string path)
    {
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync("external_id,email,first_name,locale");
        for (var i = 0; i < Customers; i++)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"c-{i},customer{i}@example.nl,Klant {i},{(i % 3 == 0 ? "en" : "nl")}"));
        }
    }

    public static async Task WriteOrdersAsync(string path, int rows)
    {
        var random = new Random(7);
        var start = new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var writer = new StreamWriter(path, append: false, System.Text.Encoding.UTF8, bufferSize: 1 << 16);
        await writer.WriteLineAsync("external_id,customer_external_id,placed_at,total,currency,discount_code,item_count");
        for (var i = 0; i < rows; i++)
        {
            var placed = start.AddMinutes(random.Next(0, 500 * 24 * 60));
            var total = random.Next(500, 25_000) / 100m;
            var code = random.Next(10) == 0 ? "SPRING10" : "";
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"o-{i},c-{random.Next(Customers)},{placed:yyyy-MM-ddTHH:mm:ssZ},{total},EUR,{code},{random.Next(1, 6)}"));
        }
    }

    /// <summary>The same rows as typed values, for the floor measurements.</summary>
    public static IEnumerable<(string Id, string Customer, DateTimeOffset Placed, decimal Total, string Currency, string? Code, int Items)> Read(string path)
    {
        using var reader = new StreamReader(path);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(',');
            yield return (f[0], f[1], DateTimeOffset.Parse(f[2], CultureInfo.InvariantCulture), decimal.Parse(f[3], CultureInfo.InvariantCulture),
                f[4], f[5].Length == 0 ? null : f[5], int.Parse(f[6], CultureInfo.InvariantCulture));
        }
    }
}
