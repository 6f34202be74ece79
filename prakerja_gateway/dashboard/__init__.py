"""The participant dashboard: the prakerja.go.id side of the programme, in Indonesian."""
