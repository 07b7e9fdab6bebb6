namespace Integration.Simulators.Eta;

/// <summary>One validation error the simulated portal reports for a receipt (<c>PropertyPath</c> as in the receipt JSON).</summary>
public sealed record SimulatedEtaError(string PropertyPath, string Code, string Message);
