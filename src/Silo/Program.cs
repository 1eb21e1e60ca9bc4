using SessionGrid.Silo.Hosting;

await SessionGridApp.Build(args).RunAsync();
