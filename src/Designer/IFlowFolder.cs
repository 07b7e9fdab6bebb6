namespace Integration.Designer;

/// <summary>
/// The folder of flow files as the host serves it (implemented by the host): the designer publishes a flow by writing
/// its file and having the folder published at once, so what runs is always what <c>flows/</c> holds.
/// </summary>
public interface IFlowFolder
{
    /// <summary>The file holding a flow: the one that already holds that definition id, else <c>{definitionId}.json</c>.</summary>
    string FileFor(string definitionId);

    /// <summary>Writes <paramref name="text"/> to <paramref name="file"/> and publishes the folder.</summary>
    Task WriteAndPublishAsync(string file, string text, CancellationToken cancellationToken);
}
