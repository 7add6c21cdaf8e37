using System.Text.RegularExpressions;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;

namespace FeedbackHub.Web.Features.Email.Templates;

/// <summary>How a block shows in the layout: the subject line, a heading, a paragraph, a highlighted box, or the button's label.</summary>
public enum BlockKind
{
    Subject,
    Heading,
    Paragraph,
    Highlight,
    Button,
}

/// <summary>One marketer-editable block of a template, with its built-in wording per language.</summary>
public sealed record TemplateBlock(string Key, BlockKind Kind, string English, string Dutch)
{
    public string Default(string locale) => locale == CustomerLocales.Dutch ? Dutch : English;
}

/// <summary>
/// An email FeedbackHub sends: its blocks in order, the placeholders they may use (with sample
/// values for the preview), and its purpose, which decides the consent rules. The button links to
/// the value of <see cref="ActionUrl"/>, which is never editable.
/// </summary>
public sealed partial record EmailTemplate(
    string Key,
    string Title,
    EmailPurpose Purpose,
    IReadOnlyList<TemplateBlock> Blocks,
    IReadOnlyDictionary<string, string> SampleValues)
{
    public const string ActionUrl = "action_url";

    public IEnumerable<string> Placeholders => SampleValues.Keys.Where(k => k != ActionUrl);

    public TemplateBlock? Block(string key) => Blocks.FirstOrDefault(b => b.Key == key);

    /// <summary>Replaces each <c>{name}</c> with its value; the caller encodes the result for where it goes.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return PlaceholderPattern().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
    }

    /// <summary>What is wrong with a marketer's text for a block; empty when it can be saved.</summary>
    public IReadOnlyList<string> Validate(string blockKey, string? text)
    {
        var block = Block(blockKey);
        if (block is null)
        {
            return [$"The template '{Key}' has no block '{blockKey}'."];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return [$"The {blockKey} text cannot be empty."];
        }

        var problems = new List<string>();
        if (text.Length > EmailTextBlockLimits.Text)
        {
            problems.Add($"The {blockKey} text is {text.Length} characters; at most {EmailTextBlockLimits.Text} are allowed.");
        }

        if (block.Kind is BlockKind.Subject or BlockKind.Button && text.Contains('\n', StringComparison.Ordinal))
        {
            problems.Add($"The {blockKey} text must be a single line.");
        }

        var unknown = PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value)
            .Where(name => !Placeholders.Contains(name)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"Unknown placeholder {string.Join(", ", unknown.Select(n => $"{{{n}}}"))}; this template knows {string.Join(", ", Placeholders.Select(n => $"{{{n}}}"))}.");
        }

        if (text.Count(c => c == '{') != text.Count(c => c == '}'))
        {
            problems.Add("A placeholder is not closed: write it as {name}.");
        }

        return problems;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PlaceholderPattern();
}
