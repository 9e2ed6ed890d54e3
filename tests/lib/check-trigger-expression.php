<?php
// php tests/lib/check-trigger-expression.php FRONTEND_DIR EXPRESSION: parses and validates a trigger
// expression with the Zabbix frontend's own CExpressionParser and CExpressionValidator (the
// sandbox keeps 6.0's and 7.0's under /var/tmp/vcr-sandbox/zabbix/VERSION/pkg/usr/share/zabbix), so a
// template's expression is checked against a version whose server is not running. Exit 0 when valid.
$root = $argv[1];
$map = [];
$it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root.'/include/classes'));
foreach ($it as $f) if (substr($f, -4) === '.php') $map[basename($f, '.php')] = (string) $f;
spl_autoload_register(function ($c) use ($map) { if (isset($map[$c])) require_once $map[$c]; });
require_once $root.'/include/defines.inc.php';
if (!function_exists('_')) { function _($s) { return $s; } }
if (!function_exists('_s')) { function _s($s, ...$a) { return vsprintf($s, $a); } }
$expr = $argv[2];
$p = new CExpressionParser(['usermacros' => true, 'lldmacros' => true]);
$ok = $p->parse($expr);
echo "parse: ".($ok == CParser::PARSE_SUCCESS ? "ok" : "FAILED: ".$p->getError())."\n";
if ($ok == CParser::PARSE_SUCCESS) {
  $v = new CExpressionValidator(['usermacros' => true, 'lldmacros' => true]);
  echo "validate: ".($v->validate($p->getResult()->getTokens()) ? "ok" : "FAILED: ".$v->getError())."\n";
}
exit($ok == CParser::PARSE_SUCCESS && $v->validate($p->getResult()->getTokens()) ? 0 : 1);
