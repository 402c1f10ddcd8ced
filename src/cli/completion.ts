/**
 * `hexlog completion bash|zsh|fish`: a completion script made from the program's own commands
 * and options, so it cannot fall behind them. Log type names complete after -t/--type.
 */
import type { Command } from "commander";

interface CommandWords {
  name: string;
  options: string[];
  /** Each option's short and long form together (fish describes an option once). */
  pairs: Array<{ short?: string | undefined; long?: string | undefined }>;
}

function words(program: Command): CommandWords[] {
  return program.commands.map((c) => ({
    name: c.name(),
    options: c.options.flatMap((o) => [o.short, o.long].filter((x): x is string => typeof x === "string")).concat(["--help"]),
    pairs: [...c.options.map((o) => ({ short: o.short, long: o.long })), { short: "-h", long: "--help" }],
  }));
}

export function completionScript(shell: string, program: Command, logTypes: readonly string[]): string | undefined {
  const cmds = words(program);
  const names = [...cmds.map((c) => c.name), "help"];
  const globals = program.options.flatMap((o) => [o.short, o.long].filter((x): x is string => typeof x === "string")).concat(["--help"]);
  const types = logTypes.join(" ");
  if (shell === "bash") {
    const cases = cmds.map((c) => `    ${c.name}) opts="${c.options.join(" ")}" ;;`).join("\n");
    return `# hexlog completion for bash: eval "$(hexlog completion bash)" (e.g. in ~/.bashrc)
_hexlog() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names.join(" ")} ${globals.join(" ")}" -- "$cur") )
    return
  fi
  cmd="\${COMP_WORDS[1]}"
  case "$prev" in
    -t|--type|--show) COMPREPLY=( $(compgen -W "${types}" -- "$cur") ); return ;;
  esac
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _hexlog hexlog
`;
  }
  if (shell === "zsh") {
    const cases = cmds.map((c) => `    ${c.name}) _arguments '*:file:_files' ${c.options.map((o) => `'${o}[]'`).join(" ")} ;;`).join("\n");
    return `#compdef hexlog
# hexlog completion for zsh: hexlog completion zsh > "\${fpath[1]}/_hexlog" (or eval it in ~/.zshrc)
_hexlog() {
  if (( CURRENT == 2 )); then
    compadd -- ${names.join(" ")}
    return
  fi
  case "\${words[CURRENT-1]}" in
    -t|--type|--show) compadd -- ${types}; return ;;
  esac
  case "\${words[2]}" in
${cases}
  esac
}
compdef _hexlog hexlog
`;
  }
  if (shell === "fish") {
    const lines = [`# hexlog completion for fish: hexlog completion fish > ~/.config/fish/completions/hexlog.fish`, "complete -c hexlog -f"];
    for (const c of cmds) {
      const desc = (program.commands.find((x) => x.name() === c.name)?.description() ?? "").replace(/'/g, "\\'");
      lines.push(`complete -c hexlog -n '__fish_use_subcommand' -a ${c.name} -d '${desc}'`);
      for (const o of c.pairs) {
        const flag = [o.short ? `-s ${o.short.slice(1)}` : "", o.long ? `-l ${o.long.slice(2)}` : ""].filter(Boolean).join(" ");
        lines.push(`complete -c hexlog -n '__fish_seen_subcommand_from ${c.name}' ${flag}`);
      }
      lines.push(`complete -c hexlog -n '__fish_seen_subcommand_from ${c.name}' -F`);
    }
    lines.push(`complete -c hexlog -n '__fish_seen_subcommand_from parse serve' -s t -l type -x -a '${types}'`);
    return `${lines.join("\n")}\n`;
  }
  return undefined;
}
