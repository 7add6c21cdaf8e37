using System.Text.Json;
using FeedbackHub.Classification;
using FeedbackHub.Data.Reasons;

namespace FeedbackHub.Web.Features.Reasons;

/// <summary>One word or word pair of an answer and how much it pushed towards the predicted reason.</summary>
public sealed record ExplanationTerm(string Ngram, double Weight);

/// <summary>The explanation as stored on a response (<see cref="Data.Surveys.SurveyResponse.PredictionExplanation"/>).</summary>
public static class ReasonExplanation
{
    /// <summary>A single "word" can be a 5,000-character run without spaces; staff need its start, not all of it.</summary>
    public const int MaxTermLength = 60;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(IEnumerable<NgramContribution> explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var terms = explanation.Select(c => new ExplanationTerm(TextLimits.Truncate(c.Ngram, MaxTermLength), Math.Round(c.Weight, 3))).ToList();
        var json = JsonSerializer.Serialize(terms, Json);
        while (json.Length > ReasonLimits.Explanation && terms.Count > 0)
        {
            terms.RemoveAt(terms.Count - 1);
            json = JsonSerializer.Serialize(terms, Json);
        }

        return json;
    }

    public static IReadOnlyList<ExplanationTerm> Parse(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : JsonSerializer.Deserialize<List<ExplanationTerm>>(stored, Json) ?? [];
}
