namespace Integration.Host.Security;

/// <summary>A key to create: who it is for, <c>read</c>, <c>operate</c> or <c>admin</c>, and optionally a lifetime (<c>90d</c>, <c>12h</c>).</summary>
public sealed record CreateOperatorKeyRequest(string? Name, string? Scope, string? ExpiresIn);
