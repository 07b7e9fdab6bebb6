namespace Integration.Host.Security;

/// <summary>What an operator may do: read (GET), operate (change data, run, retry), admin (flows, keys). Each includes the ones below it.</summary>
internal enum OperatorScope
{
    Read = 1,
    Operate = 2,
    Admin = 3,
}
