using Integration.Erp.Accounts;

namespace Integration.Erp.Reports;

/// <summary>A company's chart as a tree, for rolling ledger amounts up to their groups.</summary>
internal sealed class AccountTree
{
    private readonly Dictionary<string, List<Account>> _children;
    private readonly List<Account> _roots;

    private AccountTree(IReadOnlyList<Account> accounts)
    {
        _children = accounts.Where(a => a.Parent is not null).GroupBy(a => a.Parent!).ToDictionary(g => g.Key, g => g.OrderBy(a => a.Id, StringComparer.Ordinal).ToList());
        _roots = [.. accounts.Where(a => a.Parent is null).OrderBy(a => a.Id, StringComparer.Ordinal)];
    }

    public static AccountTree Build(IReadOnlyList<Account> accounts) => new(accounts);

    public IEnumerable<(Account Account, int Depth)> DepthFirst()
    {
        var stack = new Stack<(Account, int)>(_roots.AsEnumerable().Reverse().Select(r => (r, 0)));
        while (stack.Count > 0)
        {
            var (account, depth) = stack.Pop();
            yield return (account, depth);
            if (_children.TryGetValue(account.Id, out var children))
            {
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push((children[i], depth + 1));
                }
            }
        }
    }

    /// <summary>The account and all its descendants.</summary>
    public IEnumerable<string> Below(string id)
    {
        yield return id;
        if (_children.TryGetValue(id, out var children))
        {
            foreach (var child in children)
            {
                foreach (var below in Below(child.Id))
                {
                    yield return below;
                }
            }
        }
    }
}
