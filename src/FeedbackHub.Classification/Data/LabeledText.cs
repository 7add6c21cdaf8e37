namespace FeedbackHub.Classification.Data;

/// <summary>One training or test example: an answer and its label.</summary>
public sealed record LabeledText(string Text, string Label);
