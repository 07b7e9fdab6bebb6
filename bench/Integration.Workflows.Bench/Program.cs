using Integration.Workflows.Bench;
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ActivityOverheadBenchmarks).Assembly).Run(args);
