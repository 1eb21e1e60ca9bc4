using SessionGrid.Silo.Hosting;

if (args.Length > 0 && args[0] == MigrateCommand.Name)
{
    return await MigrateCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && args[0] == KeysCommand.Name)
{
    return await KeysCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

await SessionGridApp.Build(args).RunAsync();
return 0;
