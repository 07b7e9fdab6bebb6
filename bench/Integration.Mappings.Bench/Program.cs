using BenchmarkDotNet.Running;
using Integration.Mappings.Bench;

BenchmarkSwitcher.FromAssembly(typeof(OrderMappingBenchmarks).Assembly).Run(args);
