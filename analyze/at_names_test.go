package analyze

import pg "github.com/safesql/safesql/analyze/pgparse"

func pgATType(i int32) pg.AlterTableType { return pg.AlterTableType(i) }

func alterTableTypeName(i int32) (string, bool) {
	name := pg.AlterTableType(i).String()
	return name, name != "" && name[0] != '0' && name[0] != '1' && name[0] != '2' && name[0] != '3' && name[0] != '4' && name[0] != '5' && name[0] != '6' && name[0] != '7' && name[0] != '8' && name[0] != '9'
}
