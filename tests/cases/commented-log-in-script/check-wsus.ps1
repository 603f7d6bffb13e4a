# Shows where this machine gets its updates from.
# Sample output of Get-WindowsUpdateLog on a machine without WSUS:
# 2025/10/16 18:39:47.2520119 6536  6560  Agent           WSUS server: (null)
# 2025/10/16 18:39:47.2520128 6536  6560  Agent           WSUS status server: (null)
# 2025/10/16 18:39:47.2520141 6536  6560  Agent           Target group: (Unassigned Computers)
# 2025/10/16 18:39:47.2520150 6536  6560  Agent           Windows Update access disabled: No
Get-ItemProperty -Path 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate' -ErrorAction SilentlyContinue
